namespace RnnGen.Models;
